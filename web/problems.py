"""The error table as data: every error's stable problem code, its HTTP status and a Dutch (B1)
title. A literal, read by `web/errors.py`, which turns it into the app's handlers when the app
is created; nothing adds rows at import time (docs/design.md, "Errors: one table")."""

from __future__ import annotations

from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_401_UNAUTHORIZED,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_405_METHOD_NOT_ALLOWED,
    HTTP_409_CONFLICT,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_422_UNPROCESSABLE_ENTITY,
    HTTP_429_TOO_MANY_REQUESTS,
    HTTP_500_INTERNAL_SERVER_ERROR,
)

from consent.campaigns import errors as campaigns
from consent.connections.service import InviteUnavailable
from consent.grants.errors import PastAgeCap
from consent.parties.errors import LastAdmin, RotationIncomplete
from consent.profiles.errors import ProfileMissing
from consent.recovery import errors as recovery
from consent.requests.errors import (
    KeyMismatch,
    RequestAnswered,
    RequestRetracted,
    UnknownProfessional,
)
from consent.sso import errors as sso
from dossier import errors as d
from dossier.notify import errors as notify

PROBLEM_BASE = "/problems/"

PROFILE_FIRST = (
    "Maak eerst je profielkaart: naam, organisatie, rol en telefoon. "
    "Dan ziet de jongere wie je bent."
)
SAY_AGAIN = "Er klopt iets niet in wat je stuurde."
SSO_TRY_AGAIN = "Probeer het opnieuw."

# (a domain error, or a code of the web layer's own) -> status, Dutch title at B1 level.
ROWS: tuple[tuple[type[d.DomainError] | str, int, str], ...] = (
    (d.DomainError, HTTP_400_BAD_REQUEST, SAY_AGAIN),
    (d.InvalidInput, HTTP_400_BAD_REQUEST, SAY_AGAIN),
    (
        d.ClockSkew,
        HTTP_400_BAD_REQUEST,
        "De klok van je apparaat staat niet goed. Zet de tijd goed en probeer het opnieuw.",
    ),
    (d.NotFound, HTTP_404_NOT_FOUND, "Dit bestaat niet (meer)."),
    (
        notify.BadMailAddress,
        HTTP_400_BAD_REQUEST,
        "Dit e-mailadres klopt niet. Kijk het na en probeer het opnieuw.",
    ),
    (notify.PushOff, HTTP_404_NOT_FOUND, "Meldingen op dit apparaat kunnen hier niet."),
    (
        notify.BadPushSubscription,
        HTTP_400_BAD_REQUEST,
        "Dit apparaat kan geen meldingen krijgen. Probeer een andere browser.",
    ),
    (
        notify.MailLinkUnknown,
        HTTP_404_NOT_FOUND,
        "Deze link werkt niet (meer). Vul je e-mailadres opnieuw in bij Mijn gegevens.",
    ),
    (d.Conflict, HTTP_409_CONFLICT, "Dit bestaat al."),
    (
        d.VersionConflict,
        HTTP_409_CONFLICT,
        "Iemand anders heeft dit net veranderd. Probeer het opnieuw.",
    ),
    (
        d.TooYoung,
        HTTP_403_FORBIDDEN,
        (
            "Je moet 16 jaar of ouder zijn om zelf een rugzak te maken. "
            "Ben je jonger? Vraag je ouder of begeleider om hulp."
        ),
    ),
    (d.InvalidCredentials, HTTP_401_UNAUTHORIZED, "Je gebruikersnaam of wachtwoordzin klopt niet."),
    (d.NotAuthenticated, HTTP_401_UNAUTHORIZED, "Log eerst in."),
    (d.SessionExpired, HTTP_401_UNAUTHORIZED, "Je bent te lang weg geweest. Log opnieuw in."),
    (d.Forbidden, HTTP_403_FORBIDDEN, "Je hebt hier geen toegang toe."),
    (
        d.NotTheAuthor,
        HTTP_403_FORBIDDEN,
        "Alleen wie dit stuk schreef, kan het aanpassen. Je kunt wel zelf iets toevoegen.",
    ),
    (d.TooLarge, HTTP_413_REQUEST_ENTITY_TOO_LARGE, "Dit is te groot."),
    (
        d.TooManyAttempts,
        HTTP_429_TOO_MANY_REQUESTS,
        "Te veel pogingen. Wacht een minuut en probeer het dan opnieuw.",
    ),
    # Grants, organisations, connections.
    (
        PastAgeCap,
        HTTP_400_BAD_REQUEST,
        "Delen kan tot je 27e verjaardag. Wil je toch langer delen? Vink dat dan aan.",
    ),
    (LastAdmin, HTTP_409_CONFLICT, "Een organisatie heeft altijd minstens één beheerder nodig."),
    (RotationIncomplete, HTTP_400_BAD_REQUEST, SAY_AGAIN),
    (InviteUnavailable, HTTP_404_NOT_FOUND, "Deze uitnodiging werkt niet meer."),
    (
        ProfileMissing,
        HTTP_409_CONFLICT,
        PROFILE_FIRST,
    ),
    # Recovery through a contact.
    (
        recovery.RecoveryUnavailable,
        HTTP_404_NOT_FOUND,
        "Voor deze naam is geen herstelcontact ingesteld. Heb je je herstelcode nog? Gebruik die.",
    ),
    (
        recovery.RecoveryWaiting,
        HTTP_403_FORBIDDEN,
        (
            "Nog even wachten. Je herstelcontact moet eerst ja zeggen"
            " en de wachttijd moet voorbij zijn."
        ),
    ),
    (
        recovery.RecoveryEnded,
        HTTP_409_CONFLICT,
        "Deze herstelpoging is gestopt of klaar. Begin opnieuw als je er nog steeds niet in komt.",
    ),
    (
        recovery.ShortCodeMismatch,
        HTTP_403_FORBIDDEN,
        "De code klopt niet. Keur niets goed en vraag de persoon om opnieuw te beginnen.",
    ),
    (
        recovery.NotAContact,
        HTTP_403_FORBIDDEN,
        "Je bent (nu) geen herstelcontact voor deze persoon.",
    ),
    # A handover to a colleague.
    (
        UnknownProfessional,
        HTTP_404_NOT_FOUND,
        "Deze collega kennen we niet, of die heeft nog geen profielkaart. Zoek opnieuw.",
    ),
    (
        KeyMismatch,
        HTTP_400_BAD_REQUEST,
        "De sleutelcode van deze collega klopt niet. Stuur niets en bel je collega.",
    ),
    (
        RequestRetracted,
        HTTP_409_CONFLICT,
        "Deze vraag is ingetrokken door wie hem stelde. Je hoeft niets meer te doen.",
    ),
    (
        RequestAnswered,
        HTTP_409_CONFLICT,
        "De jongere heeft al geantwoord. Intrekken kan niet meer; vraag haar zo nodig opnieuw.",
    ),
    # Campaigns and the partner API.
    (
        campaigns.CampaignLinkUnavailable,
        HTTP_404_NOT_FOUND,
        "Deze link werkt niet (meer). Wil je nog antwoorden? Vraag je school om een nieuwe link.",
    ),
    (campaigns.CampaignClosed, HTTP_409_CONFLICT, "Deze vraag is gesloten."),
    (
        campaigns.AnswerMismatch,
        HTTP_400_BAD_REQUEST,
        "Dit antwoord past niet bij wat de school vroeg.",
    ),
    (
        campaigns.RosterRejected,
        HTTP_422_UNPROCESSABLE_ENTITY,
        "De lijst heeft fouten. Er is niets ingelezen. Verbeter de regels en probeer het opnieuw.",
    ),
    (
        campaigns.InvalidPartnerToken,
        HTTP_401_UNAUTHORIZED,
        "De toegangssleutel klopt niet, is verlopen of ingetrokken. Vraag een nieuwe aan.",
    ),
    (campaigns.InsufficientScope, HTTP_403_FORBIDDEN, "Deze koppeling mag dit niet doen."),
    # The token endpoint (RFC 6749 §5.2): "oauth-" and the error, with dashes.
    (
        "oauth-invalid-client",
        HTTP_401_UNAUTHORIZED,
        (
            "De koppeling kon zich niet aanmelden: de client-id of het geheim klopt niet, "
            "of de koppeling is ingetrokken."
        ),
    ),
    ("oauth-invalid-scope", HTTP_400_BAD_REQUEST, "Deze koppeling mag deze rechten niet vragen."),
    (
        "oauth-unsupported-grant-type",
        HTTP_400_BAD_REQUEST,
        "Alleen grant_type=client_credentials wordt ondersteund.",
    ),
    ("oauth-unauthorized-client", HTTP_400_BAD_REQUEST, "Deze koppeling mag geen tokens vragen."),
    ("oauth-invalid-request", HTTP_400_BAD_REQUEST, "Het tokenverzoek is niet compleet."),
    # Single sign-on: "sso-" and the reason the refusal page carries (`data-reden`), for the
    # rules of `consent.sso` and for the relying party's own protocol checks.
    (
        sso.SsoRefused,
        HTTP_403_FORBIDDEN,
        "Inloggen via je organisatie lukte niet. " + SSO_TRY_AGAIN,
    ),
    (
        sso.SsoNotConfigured,
        HTTP_403_FORBIDDEN,
        "Deze organisatie heeft inloggen via de eigen inlogdienst niet ingesteld.",
    ),
    (
        sso.SsoUnknownSubject,
        HTTP_403_FORBIDDEN,
        (
            "Dit account van je organisatie is nog niet gekoppeld aan een Rugzak-account. "
            "Log één keer in met je wachtwoordzin en koppel het bij Inloggen via je organisatie."
        ),
    ),
    (
        sso.SsoLinkedElsewhere,
        HTTP_403_FORBIDDEN,
        "Dit account van je organisatie is al aan een ander Rugzak-account gekoppeld.",
    ),
    (sso.InvalidIssuer, HTTP_400_BAD_REQUEST, SAY_AGAIN),
    (
        "sso-flow",
        HTTP_403_FORBIDDEN,
        "Het inloggen duurde te lang of is in een ander venster begonnen. " + SSO_TRY_AGAIN,
    ),
    (
        "sso-state",
        HTTP_403_FORBIDDEN,
        "Dit antwoord hoort niet bij jouw inlogpoging. " + SSO_TRY_AGAIN,
    ),
    (
        "sso-nonce",
        HTTP_403_FORBIDDEN,
        "Het bewijs van je organisatie hoort niet bij deze inlogpoging. " + SSO_TRY_AGAIN,
    ),
    (
        "sso-expired",
        HTTP_403_FORBIDDEN,
        "Het bewijs van je organisatie is verlopen. " + SSO_TRY_AGAIN,
    ),
    (
        "sso-issuer",
        HTTP_403_FORBIDDEN,
        "Het antwoord komt niet van de inlogdienst die je organisatie heeft ingesteld.",
    ),
    (
        "sso-signature",
        HTTP_403_FORBIDDEN,
        "Het bewijs van je organisatie is niet goed ondertekend. We vertrouwen het niet.",
    ),
    (
        "sso-claims",
        HTTP_403_FORBIDDEN,
        "Het bewijs van je organisatie klopt niet. We vertrouwen het niet.",
    ),
    (
        "sso-provider",
        HTTP_403_FORBIDDEN,
        "De inlogdienst van je organisatie is nu niet bereikbaar of gaf een fout.",
    ),
    ("sso-denied", HTTP_403_FORBIDDEN, "Je organisatie heeft het inloggen niet toegestaan."),
    # The web layer's own answers.
    ("validation", HTTP_422_UNPROCESSABLE_ENTITY, SAY_AGAIN),
    # A page's CSRF token is missing or stale (an old tab, cookies cleared): not the
    # person's fault, and reloading fixes it.
    (
        "page-expired",
        HTTP_403_FORBIDDEN,
        "Deze pagina was verlopen. Laad de pagina opnieuw en probeer het nog eens.",
    ),
    ("method-not-allowed", HTTP_405_METHOD_NOT_ALLOWED, "Dit kan hier niet."),
    (
        "internal-error",
        HTTP_500_INTERNAL_SERVER_ERROR,
        "Er ging bij ons iets mis. Er is niets veranderd. Probeer het later opnieuw.",
    ),
)

# Litestar's own HTTP errors (a guard's 401, a missing route's 404, a body too large…) as
# codes of the table, so they get the same Dutch titles as the domain errors.
HTTP_STATUSES: tuple[tuple[int, str], ...] = (
    (HTTP_400_BAD_REQUEST, d.InvalidInput.code),
    (HTTP_401_UNAUTHORIZED, d.NotAuthenticated.code),
    (HTTP_403_FORBIDDEN, d.Forbidden.code),
    (HTTP_404_NOT_FOUND, d.NotFound.code),
    (HTTP_405_METHOD_NOT_ALLOWED, "method-not-allowed"),
    (HTTP_413_REQUEST_ENTITY_TOO_LARGE, d.TooLarge.code),
    (HTTP_429_TOO_MANY_REQUESTS, d.TooManyAttempts.code),
    (HTTP_500_INTERNAL_SERVER_ERROR, "internal-error"),
)
