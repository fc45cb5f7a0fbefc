"""Writing results: files are written to a temporary name and renamed, never left half-written."""
