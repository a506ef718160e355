"""Captions: translations inside one document (a caption and its translation, a bilingual
line, or a whole article in each language)."""
