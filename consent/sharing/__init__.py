"""The youth's sharing, as one slice: what they share with whom, and the actions that end or
narrow it for one person (a connection ended, a party put "op de achtergrond")."""
