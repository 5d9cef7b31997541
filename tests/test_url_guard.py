"""The fetcher's guard: decisions only; no test here opens a connection."""

from __future__ import annotations

import pytest

from pipeline.core.urls import canonical_url, refusal_reason

HOSTS = ["reelledger.example", "screendispatch.example"]


def resolver_to(*addresses: str):
    return lambda host: list(addresses)


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("file:///etc/passwd", "only http and https"),
        ("ftp://reelledger.example/feed", "only http and https"),
        ("https://user:pw@reelledger.example/a", "credentials"),
        ("https://elsewhere.example/story", "not a configured outlet host"),
        ("https://reelledger.example.evil.example/story", "not a configured outlet host"),
    ],
)
def test_schemes_credentials_and_foreign_hosts_are_refused(url, words):
    assert words in refusal_reason(url, HOSTS, resolve=resolver_to("93.184.216.34"))


@pytest.mark.parametrize("address", ["10.0.0.5", "172.16.3.4", "192.168.1.20", "169.254.169.254", "127.0.0.1", "::1",
                                     "fd00::1", "0.0.0.0", "224.0.0.1"])
def test_outlet_hosts_resolving_to_private_addresses_are_refused(address):
    reason = refusal_reason("https://news.reelledger.example/story", HOSTS, resolve=resolver_to(address))
    assert reason and "non-public address" in reason


def test_a_public_address_of_a_configured_host_or_subdomain_is_allowed():
    assert refusal_reason("https://reelledger.example/film/a", HOSTS, resolve=resolver_to("93.184.216.34")) is None
    assert refusal_reason("https://news.reelledger.example/a", HOSTS, resolve=resolver_to("93.184.216.34")) is None


def test_loopback_and_private_networks_are_allowed_only_for_an_outlet_that_opts_in():
    assert "allow_private_address: true" in refusal_reason("http://127.0.0.1:8080/feed", ["127.0.0.1"])
    assert refusal_reason("http://127.0.0.1:8080/feed", ["127.0.0.1"], allow_private_address=True) is None
    assert refusal_reason("http://staging.reelledger.example/feed", HOSTS, resolve=resolver_to("10.1.1.1"),
                          allow_private_address=True) is None


@pytest.mark.parametrize("address", ["169.254.169.254", "fe80::1", "0.0.0.0", "224.0.0.1", "::ffff:169.254.169.254"])
def test_link_local_multicast_and_unspecified_addresses_are_refused_even_to_an_outlet_that_opts_in(address):
    reason = refusal_reason("https://reelledger.example/feed", HOSTS, resolve=resolver_to(address),
                            allow_private_address=True)
    assert reason and "never fetched" in reason


def test_every_address_of_a_name_must_be_allowed():
    reason = refusal_reason("https://reelledger.example/feed", HOSTS, resolve=resolver_to("93.184.216.34", "10.0.0.5"))
    assert reason and "10.0.0.5" in reason


def test_canonical_urls_drop_fragments_and_tracking():
    assert canonical_url("https://ReelLedger.example/film/a?utm_source=x#top") == "https://reelledger.example/film/a"
