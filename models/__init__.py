"""Lets the wheel carry the shipped model as package data (``strikeclf/models/``)."""
