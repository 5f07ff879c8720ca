"""The generic HTTP layer every provider configures with its dialect: retries with backoff and
jitter, 429/Retry-After, pacing, bounded concurrency, redaction, typed errors."""

from catalogctl.http.client import EMPTY, HttpClient, HttpSettings
from catalogctl.http.dialect import Dialect, StoreFailure
from catalogctl.http.errors import AuthError, BadResponse, ProviderError, RateLimited, TransportError

__all__ = [
    "EMPTY", "AuthError", "BadResponse", "Dialect", "HttpClient", "HttpSettings", "ProviderError", "RateLimited",
    "StoreFailure", "TransportError",
]
