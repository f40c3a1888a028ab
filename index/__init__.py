"""Turns article files into a searchable index and answers "which passages?"."""
