"""The Chroma index, the only package that imports chromadb.

client.py    the Chroma seam: embedded or server client, timeouts, retries, one-line errors
manifest.py  what a build is made of: embedded text, content hashes, staleness
where.py     Filters -> Chroma `where` clauses and the metadata they read
store.py     open_index() -> Index: query one build; survives rebuilds beside it
build.py     build_index(): locked, atomic, incremental builds; clean-up of old builds
lock.py      the inter-process build lock
"""
