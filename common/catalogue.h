// The one catalogue of what parcctl and parc-agent say to a person: {English,
// French}, the English being the key (see common/i18n.h for how code uses it).
// One entry per line, grouped by the file that shows it; add yours at the end
// of your file's group. Both texts carry the same fmt placeholders ("{}", or
// "{0}" "{1}" when French needs another order); tests/unit/common/i18n_test.cc
// checks that and that no key appears twice. French follows French typography:
// a space before ':' ';' '?' '!' (here a plain space), "«»" not needed.
#pragma once

#include <string_view>

namespace parc {

struct CatalogueEntry {
  std::string_view en;  // the key, and the English unless it starts "@context:"
  std::string_view fr;
};

inline constexpr CatalogueEntry kCatalogue[] = {
    // common/i18n.cc: error codes (common/error.h, grpc::StatusCode) as sentences.
    {"the call was cancelled", "l'appel a été annulé"},
    {"the server failed for an unknown reason", "le serveur a échoué pour une raison inconnue"},
    {"the server refused a value", "le serveur refuse une valeur"},
    {"the server did not answer in time", "le serveur n'a pas répondu à temps"},
    {"not found", "introuvable"},
    {"already exists", "existe déjà"},
    {"permission denied, the server does not allow this",
     "action refusée, le serveur ne l'autorise pas"},
    {"a limit was reached, try again later", "une limite est atteinte, réessayez plus tard"},
    {"not allowed in the current state", "impossible dans l'état actuel"},
    {"a conflict with another change, try again", "conflit avec une autre modification, réessayez"},
    {"out of range", "hors limites"},
    {"not available on this server", "non disponible sur ce serveur"},
    {"the server had an internal error", "le serveur a eu une erreur interne"},
    {"the server cannot be reached", "le serveur est injoignable"},
    {"data was lost", "des données ont été perdues"},
    {"the server refused the credentials", "le serveur refuse l'identification"},
    {"error", "erreur"},
    {"(no message)", "(sans message)"},

    // cli/parcctl.cc, cli/help.cc: framing, global options, CLI11's help and usage errors.
    {"parcctl: {}", "parcctl : erreur : {}"},
    {"Parc: devices lent to staff, who has what, and their training.",
     "Parc : les appareils prêtés au personnel, qui a quoi, et leurs formations."},
    {"parcd address host:port (PARC_ADDR)", "adresse de parcd hôte:port (PARC_ADDR)"},
    {"operator API token (PARC_TOKEN)", "jeton d'API de l'opérateur (PARC_TOKEN)"},
    {"root certificate: connect with TLS (PARC_CA)",
     "certificat racine : se connecter en TLS (PARC_CA)"},
    {"config file (PARC_CONFIG, default ~/.config/parc/parcctl.toml)",
     "fichier de configuration (PARC_CONFIG, par défaut ~/.config/parc/parcctl.toml)"},
    {"print JSON instead of tables", "afficher du JSON au lieu de tableaux"},
    {"Print this help message and exit", "Afficher cette aide et quitter"},
    {"Display program version information and exit", "Afficher la version et quitter"},
    {"A subcommand is required", "Une sous-commande est nécessaire"},
    {"Run with --help for more information.", "Lancez avec --help pour en savoir plus."},
    {"Usage", "Utilisation"},
    {"OPTIONS", "OPTIONS"},
    {"SUBCOMMAND", "SOUS-COMMANDE"},
    {"SUBCOMMANDS", "SOUS-COMMANDES"},
    {"Positionals", "Arguments"},
    {"Options", "Options"},
    {"Subcommands", "Sous-commandes"},
    {"REQUIRED", "OBLIGATOIRE"},
    {"Excludes", "Exclut"},
    {"Needs", "Nécessite"},
    {"TEXT", "TEXTE"},
    {"INT", "ENTIER"},
    {"UINT", "ENTIER"},
    {"FLOAT", "NOMBRE"},
    {"{} is required", "{} est obligatoire"},
    {"{0} excludes {1}", "{0} et {1} s'excluent"},
    {"{0} requires {1}", "{0} nécessite {1}"},
    {"unexpected argument: {}", "argument inattendu : {}"},
    {"unexpected arguments: {}", "arguments inattendus : {}"},
    {"{0}: '{1}' is not a valid value", "{0} : « {1} » n'est pas une valeur valide"},
    {"{0}: expected a value", "{0} : une valeur est attendue"},
    {"{0}: '{1}' is not one of {2}", "{0} : « {1} » n'est pas l'une des valeurs {2}"},

    // cli/client.cc: failed calls.
    {"{0}: {1}", "{0} : {1}"},
    {" (check PARC_TOKEN)", " (vérifiez PARC_TOKEN)"},
    {" (is parcd running at {}?)", " (parcd tourne-t-il à l'adresse {} ?)"},
    {"no API token: pass --token, set PARC_TOKEN, or put token = \"...\" in "
     "~/.config/parc/parcctl.toml",
     "pas de jeton d'API : passez --token, définissez PARC_TOKEN, ou écrivez token = \"...\" "
     "dans ~/.config/parc/parcctl.toml"},
    {"cannot read {}", "impossible de lire {}"},

    // cli/commands/command.cc: shared helpers.
    {"yes", "oui"},
    {"no", "non"},
    {"(first {} rows shown; add --all for every row)",
     "(les {} premières lignes ; ajoutez --all pour toutes les voir)"},
    {"'{0}' is not one of {1}", "« {0} » n'est pas l'une des valeurs {1}"},
    {"give at least one field to change", "donnez au moins un champ à modifier"},
    {"every page, not only the first 100 rows",
     "toutes les pages, pas seulement les 100 premières lignes"},

    // cli/commands/agents.cc
    {"EMPLOYEE", "MATRICULE"},
    {"NAME", "NOM"},
    {"DEPARTMENT", "SERVICE"},
    {"SITE", "SITE"},
    {"EMAIL", "COURRIEL"},
    {"ADVISOR", "CONSEILLER"},
    {"WAVE", "VAGUE"},
    {"STATUS", "STATUT"},
    {"FIELD", "CHAMP"},
    {"VALUE", "VALEUR"},
    {"employee", "matricule"},
    {"name", "nom"},
    {"department", "service"},
    {"site", "site"},
    {"email", "courriel"},
    {"advisor", "conseiller"},
    {"wave", "vague"},
    {"badge", "badge"},
    {"status", "statut"},
    {"created", "créé"},
    {"updated", "modifié"},
    {"list agents", "lister les agents"},
    {"department code", "code du service"},
    {"site code", "code du site"},
    {"wave (cohort)", "vague (cohorte)"},
    {"digital advisor", "conseiller numérique"},
    {"active|left", "active (en poste) | left (parti)"},
    {"only staff without an email address", "seulement le personnel sans adresse électronique"},
    {"text in employee number or name", "texte dans le matricule ou le nom"},
    {"show one agent", "afficher un agent"},
    {"employee number", "matricule"},
    {"first name", "prénom"},
    {"last name", "nom de famille"},
    {"wave (cohort), e.g. vague-1", "vague (cohorte), par ex. vague-1"},
    {"badge number", "numéro de badge"},
    {"has an email address", "a une adresse électronique"},
    {"has no email address", "n'a pas d'adresse électronique"},
    {"register an agent", "enregistrer un agent"},
    {"change the given fields of an agent", "modifier les champs donnés d'un agent"},
    {"the agent has left", "l'agent est parti"},
    {"the agent is back", "l'agent est de retour"},
    {"staff: list, show, add, update", "le personnel : lister, afficher, ajouter, modifier"},

    // cli/commands/sites.cc
    {"CODE", "CODE"},
    {"ADDRESS", "ADRESSE"},
    {"list every site", "lister tous les sites"},
    {"text in code or name", "texte dans le code ou le nom"},
    {"show one site", "afficher un site"},
    {"site code, e.g. CTM-NORD", "code du site, par ex. CTM-NORD"},
    {"register a site", "enregistrer un site"},
    {"postal address", "adresse postale"},
    {"sites: list, show, add", "les sites : lister, afficher, ajouter"},

    // agent_client/agent.cc, agent_client/grpc_transport.cc
    {"parc-agent: {}", "parc-agent : erreur : {}"},
    {"{0}: {1} (server {2})", "{0} : {1} (serveur {2})"},
    {"enrollment", "inscription"},
};

}  // namespace parc
