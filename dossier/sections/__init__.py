"""The dossier store: dossiers, sections with their signed keys, entries and their versions."""
