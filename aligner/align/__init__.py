"""Document-pair alignment: monotonic many-to-many beads between two sentence lists."""
