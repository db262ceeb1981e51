; An example zone: a domain that sends through two providers, a parked
; subdomain with the null SPF, and a host that has grown too many lookups.
$ORIGIN example.com.
$TTL 3600
@           SOA ns1 hostmaster 2026112401 3600 600 1209600 300
@           NS ns1
@           NS ns2
ns1         A 85.100.0.53
ns2         A 85.100.1.53
@           MX 10 mail
mail        A 85.100.0.25
mail        AAAA 2a02:1:2::25
@           TXT "v=spf1 mx include:_spf.mailer.example.net include:spf.crm.example.org -all"
_dmarc      TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.com"
_smtp._tls  TXT "v=TLSRPTv1; rua=mailto:tls@example.com"
; a domain that sends no mail: the null SPF
parked      TXT "v=spf1 -all"
parked      MX 0 .
_dmarc.parked TXT "v=DMARC1; p=reject; sp=reject; np=reject"
*._domainkey.parked TXT "v=DKIM1; p="
; marketing kept adding providers until it crossed the limit
news        TXT "v=spf1 a mx include:_spf.mailer.example.net include:spf.crm.example.org include:bulk.example.org ip4:85.100.2.0/24 ~all"
news        A 85.100.2.10
www         A 85.100.0.80
