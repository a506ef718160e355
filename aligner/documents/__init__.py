"""Document pairs: two documents that translate each other, found and aligned."""
