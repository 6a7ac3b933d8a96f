"""Developer applications, their keys, the data API limits and the call ledger (#16)."""
