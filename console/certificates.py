"""X.509 for client authentication: a project's CA and the client certificates it signs.

Pure functions over PEM text (no models), so that migrations and `console.project_ca` share
them. Keys are ECDSA P-256: every TLS stack a Kafka client uses (OpenSSL, Java) accepts them,
and making one takes well under a millisecond, so a service user gets one at creation.
"""

import datetime
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_VALIDITY = datetime.timedelta(days=3650)
# As long as the platform's client certificates (about two and a half years).
CLIENT_VALIDITY = datetime.timedelta(days=900)
# Clocks of clients and servers differ a little: a certificate is valid from a bit earlier.
CLOCK_SKEW = datetime.timedelta(minutes=5)
ORGANIZATION = "PrivateLink console"


@dataclass(frozen=True)
class KeyPair:
    """A certificate and its private key, both PEM (the key unencrypted PKCS#8)."""

    certificate: str
    private_key: str
    not_valid_after: datetime.datetime


def _new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _key_pem(key: ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def _signed(
    builder: x509.CertificateBuilder, signer: ec.EllipticCurvePrivateKey
) -> x509.Certificate:
    return builder.sign(signer, hashes.SHA256())


def create_ca(project_name: str, now: datetime.datetime | None = None) -> KeyPair:
    """A self-signed CA that signs only end-entity certificates (path length 0)."""
    now = now or datetime.datetime.now(datetime.UTC)
    key = _new_key()
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{project_name} Project CA"),
        ]
    )
    not_after = now + CA_VALIDITY
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    certificate = _signed(builder, key)
    return KeyPair(
        certificate.public_bytes(serialization.Encoding.PEM).decode(), _key_pem(key), not_after
    )


def issue_client_certificate(
    ca_certificate: str, ca_private_key: str, common_name: str, now: datetime.datetime | None = None
) -> KeyPair:
    """A TLS client certificate for `common_name` (the service user's name), signed by the CA."""
    now = now or datetime.datetime.now(datetime.UTC)
    ca = x509.load_pem_x509_certificate(ca_certificate.encode())
    ca_key = serialization.load_pem_private_key(ca_private_key.encode(), password=None)
    if not isinstance(ca_key, ec.EllipticCurvePrivateKey):
        raise TypeError("The project CA's key is not an EC key.")
    key = _new_key()
    not_after = min(now + CLIENT_VALIDITY, ca.not_valid_after_utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION),
                    x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                ]
            )
        )
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
    )
    certificate = _signed(builder, ca_key)
    return KeyPair(
        certificate.public_bytes(serialization.Encoding.PEM).decode(), _key_pem(key), not_after
    )
