"""Rendering of generated documents (official minutes) to .docx, .md and .html."""
