"""QR codes as inline SVG (for authenticator set-up): no network, no image files."""

import segno


def qr_svg_data_uri(data: str) -> str:
    return str(segno.make(data, error="m").svg_data_uri(scale=5, border=2))
