"""GDC Assistant: question the UN Global Digital Compact (commitments, SDGs, WSIS Action Lines)."""

from .ask import Response, ask
from .config import Settings
from .corpus import Commitment, Corpus, Filters, load_corpus
from .errors import GdcAssistantError
from .evaluation.questions import load_questions
from .evaluation.report import write_report
from .evaluation.run import EvalReport, evaluate
from .index.build import build_index, ensure_index
from .index.store import Index, open_index
from .proposal.mapping import ProposalMap, map_proposal
from .query.parse import ParsedQuery, parse_query
from .retrieval import Hit, Retriever, search, search_many

__all__ = [
    "Commitment", "Corpus", "EvalReport", "Filters", "GdcAssistantError", "Hit", "Index",
    "ParsedQuery", "ProposalMap", "Response", "Retriever", "Settings", "ask", "build_index",
    "ensure_index", "evaluate", "load_corpus", "load_questions", "map_proposal", "open_index",
    "parse_query", "search", "search_many", "write_report",
]  # fmt: skip
