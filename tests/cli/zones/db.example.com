$ORIGIN example.com.
$TTL 3600
@           SOA ns hostmaster 2026112401 3600 600 1209600 300
@           NS ns
ns          A 85.100.0.53
@           MX 10 mail
mail        A 85.100.0.25
mail        AAAA 2a02:1:2::25
@           TXT "v=spf1 mx include:_spf.example.com -all"
_spf        TXT "v=spf1 ip4:85.100.0.0/24 ip6:2a02:1:2::/48 a:mail.example.com ~all"
; every trap at once
traps       TXT "v=spf1 ptr ip4:10.0.0.1 ip4:85.100.0.1/24 exists:%{i}._spf.example.com include:nowhere.example.com ?all a"
; exponential includes: the walker must cut the tree, not hang
boom        TXT "v=spf1 include:b1.example.com include:b1.example.com -all"
b1          TXT "v=spf1 include:b2.example.com include:b2.example.com"
b2          TXT "v=spf1 include:b3.example.com include:b3.example.com"
b3          TXT "v=spf1 include:b4.example.com include:b4.example.com"
b4          TXT "v=spf1 include:b5.example.com include:b5.example.com"
b5          TXT "v=spf1 include:b6.example.com include:b6.example.com"
b6          TXT "v=spf1 include:b7.example.com include:b7.example.com"
b7          TXT "v=spf1 include:b8.example.com include:b8.example.com"
b8          TXT "v=spf1 ip4:85.100.1.0/24"
www         A 85.100.0.80
