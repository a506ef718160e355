"""Exploring aligned pairs in Jupyter: the Python API, evidence, plots and HTML views."""
