"""Lotse: first-contact guidance on the recognition of foreign qualifications in Germany."""
