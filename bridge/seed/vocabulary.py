"""Words for believable English and French profiles (names, roles, companies, places,
industries). Plain data: kept apart so the generators stay readable."""

from __future__ import annotations

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda",
           "David", "Sarah", "Daniel", "Emily", "Olivia", "Noah", "Emma", "Liam", "Sophia",
           "William", "Ava", "Benjamin", "Isabella", "Lucas", "Mia", "Henry", "Charlotte",
           "Alexander", "Amelia", "Ethan", "Harper", "Jacob", "Evelyn", "Samuel", "Abigail",
           "Jack", "Grace", "Owen", "Chloe", "Ryan", "Hannah", "Nathan", "Zoe", "Aaron",
           "Priya", "Arjun", "Wei", "Mei", "Omar", "Fatima", "Diego", "Sofia"),
    "fr": ("Camille", "Louis", "Léa", "Hugo", "Chloé", "Lucas", "Manon", "Jules", "Inès",
           "Gabriel", "Zoé", "Arthur", "Élise", "Théo", "Margaux", "Nathan", "Juliette",
           "Raphaël", "Louise", "Paul", "Alice", "Antoine", "Clémence", "Maxime", "Sarah",
           "Baptiste", "Pauline", "Thomas", "Mathilde", "Nicolas", "Anaïs", "Julien", "Émilie",
           "Romain", "Océane", "Quentin", "Céline", "Mathis", "Laure", "Étienne", "Hélène",
           "François", "Amélie", "Yanis", "Nour", "Karim", "Sofiane", "Aïcha", "Mélanie", "Loïc"),
}
LAST_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
           "Taylor", "Clark", "Lewis", "Walker", "Young", "King", "Wright", "Hill", "Scott",
           "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Roberts", "Turner",
           "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins", "Stewart", "Morris",
           "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Reed", "Bailey", "Patel", "Chen",
           "Nguyen", "Kim", "Singh", "Khan", "Lopez", "Hughes", "Foster", "Bennett"),
    "fr": ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
           "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "Roux",
           "David", "Bertrand", "Morel", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert",
           "Fontaine", "Rousseau", "Vincent", "Muller", "Lefebvre", "Faure", "André", "Mercier",
           "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier",
           "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu",
           "Benali", "Nguyen"),
}
ROLES: dict[str, tuple[str, ...]] = {
    "en": ("Recruiter", "Senior Technical Recruiter", "Talent Acquisition Partner", "Founder",
           "Co-founder & CEO", "Account Executive", "Sales Director", "Product Manager",
           "Senior Product Manager", "Software Engineer", "Staff Engineer", "Data Scientist",
           "Data Engineer", "Head of Growth", "CFO", "HR Business Partner", "Product Designer",
           "UX Researcher", "Marketing Manager", "Customer Success Manager", "DevOps Engineer",
           "Engineering Manager", "Business Analyst", "Consultant", "Legal Counsel",
           "Procurement Lead", "Operations Manager", "Financial Analyst", "Nurse Practitioner",
           "Supply Chain Manager"),
    "fr": ("Recruteuse", "Chargé de recrutement", "Talent Acquisition Manager", "Fondateur",
           "Cofondatrice & CEO", "Commercial grands comptes", "Directrice commerciale",
           "Chef de produit", "Product Owner", "Ingénieur logiciel", "Développeuse full-stack",
           "Data scientist", "Ingénieur data", "Responsable croissance", "DAF",
           "Responsable RH", "Designer produit", "Chargée de communication",
           "Responsable marketing", "Customer Success Manager", "Ingénieur DevOps",
           "Directeur technique", "Consultante", "Juriste", "Acheteur", "Contrôleur de gestion",
           "Responsable des opérations", "Analyste financier", "Infirmière", "Logisticien"),
}
COMPANIES: dict[str, tuple[str, ...]] = {
    "en": ("Acme", "Globex", "Initech", "Umbrella Health", "Hooli", "Stark Industries",
           "Wayne Enterprises", "Soylent", "Capsule", "Lumen Analytics", "BlueSky Labs",
           "Northwind", "Contoso", "Fabrikam", "Vandelay Industries", "Cyberdyne",
           "Pied Piper", "Massive Dynamic", "Tyrell", "Oscorp"),
    "fr": ("Mistral Conseil", "Atelier Nord", "Orange Peak", "Pixel & Co", "DataFerme",
           "Banque du Rhône", "Lumière Santé", "Vélo Cité", "Cap Horizon", "Les Ateliers Bleus",
           "Boulangerie Numérique", "Alpes Énergie", "Océan Logistique", "Groupe Mercure",
           "Studio Canopée", "Triskell", "Provence Tech", "Maison Verte", "Quai 13", "Azur RH"),
}
LOCATIONS: dict[str, tuple[str, ...]] = {
    "en": ("London", "New York", "San Francisco", "Berlin", "Toronto", "Dublin", "Austin",
           "Amsterdam", "Manchester", "Boston", "Seattle", "Singapore", "Sydney", "Chicago",
           "Edinburgh"),
    "fr": ("Paris", "Lyon", "Nantes", "Montréal", "Bordeaux", "Lille", "Toulouse", "Marseille",
           "Rennes", "Strasbourg", "Nice", "Genève", "Bruxelles", "Grenoble", "Québec"),
}
INDUSTRIES: dict[str, tuple[str, ...]] = {
    "en": ("Software", "Recruiting", "Financial Services", "Retail", "Energy", "Healthcare",
           "Media", "Logistics", "Consulting", "Education", "Manufacturing", "Telecoms",
           "Real Estate", "Legal Services", "Hospitality"),
    "fr": ("Logiciel", "Recrutement", "Services financiers", "Commerce", "Énergie", "Santé",
           "Médias", "Logistique", "Conseil", "Éducation", "Industrie", "Télécoms",
           "Immobilier", "Juridique", "Hôtellerie"),
}
HEADLINE_FORMATS: dict[str, tuple[str, ...]] = {
    "en": ("{role} at {company}", "{role} · {industry}", "{role} | {company} | {location}",
           "{role} at {company} — hiring!"),
    "fr": ("{role} chez {company}", "{role} · {industry}", "{role} | {company} | {location}",
           "{role} chez {company} — on recrute !"),
}
ABOUT: dict[str, tuple[str, ...]] = {
    "en": ("", "", "Always happy to talk about {industry}.",
           "Building teams in {location}. Open to new opportunities.",
           "10+ years in {industry}; I answer every message."),
    "fr": ("", "", "Toujours partant pour parler de {industry}.",
           "Je construis des équipes à {location}. Ouvert aux opportunités.",
           "Plus de 10 ans dans le secteur {industry} ; je réponds à tous les messages."),
}
# Conversation content for the inbox and the demo.
MESSAGES: dict[str, tuple[str, ...]] = {
    "en": ("Are you free for a quick call this week?", "Thanks for connecting!",
           "Sending you the deck now.", "Could you share the job description?",
           "Happy to introduce you to our CTO.", "Let's grab a coffee next time you're in town.",
           "Great talk yesterday, here are my notes.", "Is the role still open?",
           "I'll get back to you by Friday.", "Congrats on the new position!"),
    "fr": ("Êtes-vous disponible pour un appel cette semaine ?", "Merci pour la mise en relation !",
           "Je vous envoie la présentation.", "Pourriez-vous partager la fiche de poste ?",
           "Je peux vous présenter notre CTO.", "On se voit jeudi à Lyon ?",
           "Merci pour votre retour !", "Le poste est-il toujours ouvert ?",
           "Je reviens vers vous d'ici vendredi.", "Félicitations pour votre nouveau poste !"),
}
INMAIL_SUBJECTS: dict[str, tuple[str, ...]] = {
    "en": ("Opportunity at {company}", "Quick question about your experience",
           "Senior role — interested?", "Partnership idea"),
    "fr": ("Opportunité chez {company}", "Une question sur votre parcours",
           "Poste senior — intéressé(e) ?", "Idée de partenariat"),
}
INVITATION_NOTES: dict[str, tuple[str, ...]] = {
    "en": ("Hi! We met at VivaTech — let's stay in touch.",
           "I'm hiring for a similar role, would love to connect.",
           "We have many connections in common, let's connect."),
    "fr": ("Bonjour, j'ai vu votre profil, échangeons !", "Ravi de rejoindre votre réseau.",
           "Nous avons beaucoup de relations en commun, restons en contact."),
}
