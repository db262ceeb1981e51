dmarc-gen --p nope example.com
