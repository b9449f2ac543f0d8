"""Rasa SDK custom actions for Lotse. They stay thin: the knowledge and routing live in ``bot``."""
