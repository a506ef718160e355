"""Document-pair alignment: monotonic many-to-many beads between two sentence lists.

Pure parts (numpy, no model, no I/O): ``dp`` (banded DP, max-marginals), ``corridor`` (first
pass and band), ``windows`` (window vectors and lengths), ``score`` (bead scores), ``refine``
(which windows to encode), ``beads`` (the bead file format). Orchestration: ``engine`` (encoder
calls, timing), ``documents`` (segments in, pairs and unaligned segments out), ``inputs``
(finding and reading the document pairs named on the command line).
"""
