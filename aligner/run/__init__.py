"""A whole run: the task every executor maps, the executors, the journal, the runner."""
