"""Two subtitle tracks of one video, paired by time and meaning."""
