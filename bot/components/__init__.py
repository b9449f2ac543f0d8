"""Custom Rasa 3.6 NLU components (GraphComponents), one per module."""
