"""Small, checked replacements of Rasa 3.6 internals, each documented where it is made."""
