"""Digital signatures (PAdES, pyHanko) laid out per Decree 30: fields the PDF writer leaves over the
signature block and the seal's place (layout), appearances drawn by weasyprint (appearance), who
holds the key (signers), signing (sign) and checking (verify)."""
