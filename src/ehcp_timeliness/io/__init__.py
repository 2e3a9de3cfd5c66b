"""Readers (file -> LazyFrame of text columns) and atomic writers. No rules, no mapping here."""
