"""Tests of the dossier package."""
