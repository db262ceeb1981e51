nomail-gen --offline --strict parked.example.com
