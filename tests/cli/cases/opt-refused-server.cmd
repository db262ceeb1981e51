dmarc-gen --server 192.0.2.1 --p reject example.com
