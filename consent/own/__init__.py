"""The youth's own dossier as their pages show it: the overview, a section, an entry's
versions, and a new entry through the one append service (`consent.entries`)."""
