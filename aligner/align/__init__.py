"""The bead-alignment core: monotonic many-to-many beads between two sentence lists.

Pure parts (numpy, no model, no I/O): ``dp`` (banded DP, max-marginals), ``corridor`` (first
pass and band), ``windows`` (window vectors and lengths), ``score`` (bead scores), ``refine``
(which windows to encode), ``beads`` (beads to pairs and results, the bead file format).
``engine`` runs the passes with the encoder it is given. Its users: ``documents`` (two
documents), ``captions.halves`` (one document in two languages), ``mining``.
"""
