"""GDC Assistant: question the UN Global Digital Compact (commitments, SDGs, WSIS Action Lines)."""

from .config import Settings
from .corpus import Commitment, Corpus, load_corpus
from .errors import GdcAssistantError
from .eval_report import write_report
from .evaluation import EvalReport, evaluate, load_questions
from .index import Index, build_index, ensure_index, open_index
from .proposal import ProposalMap, map_proposal
from .query import Filters, ParsedQuery, parse_query
from .retrieval import Hit, Response, Retriever, ask, search, search_many

__all__ = [
    "Commitment", "Corpus", "EvalReport", "Filters", "GdcAssistantError", "Hit", "Index",
    "ParsedQuery", "ProposalMap", "Response", "Retriever", "Settings", "ask", "build_index",
    "ensure_index", "evaluate", "load_corpus", "load_questions", "map_proposal", "open_index",
    "parse_query", "search", "search_many", "write_report",
]  # fmt: skip
