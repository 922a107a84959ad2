def test_smoke(crypto_page):
    print(crypto_page.evaluate("() => c.b64e(c.sha256(c.utf8('abc')))"))
