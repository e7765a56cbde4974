"""Where conversations are kept: the redacting SQL tracker store and its retention command."""
