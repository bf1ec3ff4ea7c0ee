"""CCHC Docs: generates the documents of a province's PAR Index campaign (Decree 30 format)."""
