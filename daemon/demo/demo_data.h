// The vocabulary of the demo city: departments, sites, names and device models.
// Internal to demo.cc; changing any list changes the data every seed produces.
#pragma once

#include <array>
#include <string_view>

namespace parc::demo::data {

struct Department {
  std::string_view code;
  std::string_view name;  // as written; folds to the code (domain::NormalizeCode)
  int weight;             // share of the staff
  bool technical;         // where most staff without email work
};

inline constexpr std::array<Department, 12> kDepartments = {{
    {"PROPRETE", "Propreté", 14, true},
    {"ESPACES-VERTS", "Espaces verts", 10, true},
    {"VOIRIE", "Voirie", 9, true},
    {"EAU", "Eau", 6, true},
    {"BATIMENTS", "Bâtiments", 8, true},
    {"RESTAURATION", "Restauration", 10, true},
    {"SPORTS", "Sports", 6, false},
    {"CULTURE", "Culture", 5, false},
    {"BIBLIOTHEQUES", "Bibliothèques", 5, false},
    {"ADMINISTRATION", "Administration", 12, false},
    {"RH", "RH", 4, false},
    {"FINANCES", "Finances", 4, false},
}};

struct Site {
  std::string_view code;
  std::string_view name;
  std::string_view address;
  std::string_view departments;  // codes of the departments working there, space separated
};

// The first one is where IT logistics keeps its stock.
inline constexpr std::array<Site, 40> kSites = {{
    {"DSI", "Direction du numérique — atelier", "2 rue Jules Verne", "ADMINISTRATION"},
    {"MAIRIE", "Mairie — Hôtel de Ville", "Place de la Mairie", "ADMINISTRATION RH FINANCES"},
    {"CHAMP-JACQUET", "Centre administratif Champ-Jacquet", "1 place Champ-Jacquet",
     "ADMINISTRATION RH FINANCES"},
    {"COLOMBIER", "Espace administratif Colombier", "5 place du Colombier", "ADMINISTRATION RH"},
    {"CTM-NORD", "Centre technique municipal Nord", "12 rue de Saint-Malo",
     "PROPRETE VOIRIE BATIMENTS"},
    {"CTM-SUD", "Centre technique municipal Sud", "40 boulevard Albert 1er",
     "PROPRETE VOIRIE BATIMENTS"},
    {"CTM-EST", "Centre technique municipal Est", "8 rue de Vern", "PROPRETE VOIRIE EAU"},
    {"CTM-OUEST", "Centre technique municipal Ouest", "3 route de Lorient", "PROPRETE VOIRIE"},
    {"DEPOT-VILLEJEAN", "Dépôt propreté Villejean", "22 avenue de Rochester", "PROPRETE"},
    {"DEPOT-BREQUIGNY", "Dépôt propreté Bréquigny", "14 boulevard Léon Bourgeois", "PROPRETE"},
    {"DEPOT-MAUREPAS", "Dépôt propreté Maurepas", "9 rue de Trégain", "PROPRETE"},
    {"DEPOT-VOIRIE", "Dépôt voirie route de Lorient", "150 route de Lorient", "VOIRIE"},
    {"STEP-BEAURADE", "Station d'épuration de Beaurade", "Chemin de Beaurade", "EAU"},
    {"USINE-EAU", "Usine d'eau potable de Villejean", "Rue du Bois Perrin", "EAU"},
    {"SERRES", "Serres municipales de la Prévalaye", "Route de la Prévalaye", "ESPACES-VERTS"},
    {"THABOR", "Parc du Thabor", "Place Saint-Mélaine", "ESPACES-VERTS"},
    {"GAYEULLES", "Parc des Gayeulles", "Rue du Professeur Maurice Audin", "ESPACES-VERTS SPORTS"},
    {"BREQUIGNY-PARC", "Parc de Bréquigny", "Boulevard Albert 1er", "ESPACES-VERTS"},
    {"CIMETIERE-EST", "Cimetière de l'Est", "Rue de Vern", "ESPACES-VERTS"},
    {"CUISINE-CENTRALE", "Cuisine centrale", "7 rue Jean-Marie Huchet", "RESTAURATION"},
    {"RESTO-CLEUNAY", "Restaurant scolaire Cleunay", "Rue Jules Lallemand", "RESTAURATION"},
    {"RESTO-BLOSNE", "Restaurant scolaire Le Blosne", "Boulevard de Yougoslavie", "RESTAURATION"},
    {"RESTO-JEANNE-D-ARC", "Restaurant scolaire Jeanne d'Arc", "Rue Jeanne d'Arc", "RESTAURATION"},
    {"RESTO-SAINT-MARTIN", "Restaurant scolaire Saint-Martin", "Rue d'Antrain", "RESTAURATION"},
    {"ATELIER-BATIMENTS", "Atelier bâtiments Baud-Chardonnet", "Rue Alphonse Guérin", "BATIMENTS"},
    {"PISCINE-BREQUIGNY", "Piscine de Bréquigny", "Boulevard Albert 1er", "SPORTS"},
    {"PISCINE-GAYEULLES", "Piscine des Gayeulles", "Avenue des Gayeulles", "SPORTS"},
    {"COUBERTIN", "Complexe sportif Pierre de Coubertin", "Rue Pierre de Coubertin", "SPORTS"},
    {"SALLE-CLEUNAY", "Salle omnisports de Cleunay", "Rue Jules Lallemand", "SPORTS"},
    {"CHAMPS-LIBRES", "Bibliothèque Champs Libres", "10 cours des Alliés", "BIBLIOTHEQUES"},
    {"BIB-VILLEJEAN", "Bibliothèque Villejean", "43 cours Kennedy", "BIBLIOTHEQUES"},
    {"BIB-BELLANGERAIS", "Bibliothèque Bellangerais", "5 rue du Morbihan", "BIBLIOTHEQUES"},
    {"BIB-CLEUNAY", "Bibliothèque Cleunay", "Rue Jules Lallemand", "BIBLIOTHEQUES"},
    {"OPERA", "Opéra de Rennes", "Place de la Mairie", "CULTURE"},
    {"CONSERVATOIRE", "Conservatoire à rayonnement régional", "26 rue Hoche", "CULTURE"},
    {"MUSEE-BEAUX-ARTS", "Musée des beaux-arts", "20 quai Émile Zola", "CULTURE"},
    {"ECOMUSEE", "Écomusée de la Bintinais", "Route de Châtillon-sur-Seiche", "CULTURE"},
    {"MQ-BLOSNE", "Mairie de quartier Le Blosne", "7 boulevard de Yougoslavie", "ADMINISTRATION"},
    {"MQ-VILLEJEAN", "Mairie de quartier Villejean", "Place du Général Gouraud", "ADMINISTRATION"},
    {"MQ-MAUREPAS", "Mairie de quartier Maurepas", "Place du Gros Chêne", "ADMINISTRATION"},
}};

inline constexpr std::array<std::string_view, 48> kFirstNames = {
    "Marie",   "Jean",      "Nathalie", "Philippe",  "Isabelle",   "Michel",   "Sylvie",
    "Alain",   "Catherine", "Patrick",  "Françoise", "Christophe", "Sandrine", "Stéphane",
    "Valérie", "Laurent",   "Hélène",   "Yann",      "Gwenaëlle",  "Erwan",    "Nolwenn",
    "Loïc",    "Maëlle",    "Ronan",    "Soizic",    "Gaël",       "Anne",     "Pierre",
    "Céline",  "Nicolas",   "Karine",   "Thierry",   "Sophie",     "Frédéric", "Martine",
    "Olivier", "Fatima",    "Mohamed",  "Aïcha",     "Karim",      "Léa",      "Hugo",
    "Camille", "Lucas",     "Chloé",    "Mathis",    "Inès",       "Rémi"};

inline constexpr std::array<std::string_view, 56> kLastNames = {
    "Le Goff",  "Le Gall",  "Morvan",   "Tanguy",   "Guillou", "Le Bihan", "Le Roux",  "Hamon",
    "Le Corre", "Jégou",    "Le Floch", "Riou",     "Cadiou",  "Quéré",    "Gicquel",  "Rault",
    "Hervé",    "Le Moal",  "Daniel",   "Lebreton", "Pichon",  "Kerboul",  "Martin",   "Bernard",
    "Dubois",   "Thomas",   "Robert",   "Richard",  "Petit",   "Durand",   "Leroy",    "Moreau",
    "Simon",    "Laurent",  "Lefèvre",  "Michel",   "Garcia",  "David",    "Bertrand", "Roux",
    "Vincent",  "Fournier", "Morel",    "Girard",   "André",   "Mercier",  "Blanc",    "Guérin",
    "Nguyen",   "Diallo",   "Traoré",   "Benali",   "Haddad",  "Da Silva", "Ferreira", "Lemoine"};

inline constexpr std::array<std::string_view, 3> kAdvisors = {"claire.legoff", "yann.morvan",
                                                              "sophie.tanguy"};

struct Model {
  int kind;  // v1::DeviceKind
  std::string_view name;
  std::string_view os;
  std::string_view serial_prefix;  // 4 characters; the rest encodes the device number
  int warranty_years;
};

inline constexpr std::array<Model, 9> kModels = {{
    {1, "Samsung Galaxy Tab A8", "Android 13", "R52T", 2},
    {1, "Lenovo Tab M10", "Android 12", "HA1K", 2},
    {1, "Apple iPad (9e génération)", "iPadOS 17", "DMPF", 1},
    {2, "Samsung Galaxy A14", "Android 13", "R58W", 2},
    {2, "Samsung Galaxy XCover 6 Pro", "Android 13", "R58X", 3},
    {2, "Apple iPhone SE", "iOS 17", "F17Q", 1},
    {3, "HP ProDesk 400 G7", "Windows 10 Pro", "CZC4", 3},
    {3, "Dell OptiPlex 3000", "Windows 11 Pro", "7H3X", 3},
    {3, "Lenovo ThinkCentre M70q", "Windows 11 Pro", "MJ0G", 3},
}};

}  // namespace parc::demo::data
