// Errors of the wire format, named as in dossier/crypto/errors.py. Every failed open or
// verify throws TamperedError with the same message, whatever the cause.

export class CryptoError extends Error {
  constructor(message) {
    super(message);
    this.name = new.target.name;
  }
}

export class TamperedError extends CryptoError {
  constructor(message = "could not open or verify") {
    super(message);
  }
}

export class UnauthorisedAuthor extends TamperedError {
  constructor(message = "author is not authorised for this section") {
    super(message);
  }
}

export class AnotherAuthor extends TamperedError {
  constructor(message = "version is not by the author of the first version") {
    super(message);
  }
}

export class UnsupportedVersion extends CryptoError {}

export class MalformedError extends CryptoError {}

export class WeakParameters extends CryptoError {}
