"""What every PDF we make with weasyprint is, shared by the document writer and the signature
appearances (which sit below it): PDF/A-2b (CV 7197/BKHCN: archives take PDF/A-1 or PDF/A-2), fonts
embedded, an sRGB output intent, XMP metadata — checked by ``service.conformance.pdfa``."""

PDF_VARIANT = "pdf/a-2b"

#: PDF/A-2 (6.2.8) forbids asking viewers to smooth images; weasyprint asks unless told otherwise.
PDFA_IMAGES = "\nhtml { image-rendering: crisp-edges; }\n"
