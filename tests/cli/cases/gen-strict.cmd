dmarc-gen --strict --p none --rua mailto:d@example.com example.com
