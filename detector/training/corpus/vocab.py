"""Our own wording for what sites wrap around the news: site names, chrome lines, bylines,
tag headers, separators between posts, stock closers. Drawn as wide randomised families
(a line is a choice of parts), so the model learns the kind of line, not a short list of
strings. None of it is copied from the seed pages.
"""

from __future__ import annotations

import random

# --- site names: "{place} {paper}", "{word}{word} News", "{word} Tech Group" ---------

_SITE_PLACES = ("Harbor", "Northgate", "Riverside", "Eastfield", "Kelby", "Marlow", "Pinecrest", "Westbrook",
                "Lakeside", "Ashford", "Cedar Valley", "Redhill", "Stonebridge", "Fairview", "Oakmont")
_SITE_PAPERS = ("Post", "Herald", "Gazette", "Tribune", "Chronicle", "Courier", "Observer", "Ledger",
                "Dispatch", "Sentinel", "Times", "Record", "Standard", "Journal", "Examiner")
_SITE_WORDS = ("Daily", "Global", "Prime", "Smart", "Insight", "Trend", "Pulse", "Nexus", "Apex", "Vista",
               "Bright", "Rapid", "Urban", "Metro", "Star", "Alpha", "Blue", "Crest", "Echo", "Zen")
_SITE_NOUNS = ("News", "Wire", "Today", "Report", "Digest", "Hub", "Media", "Network", "Buzz", "Feed",
               "Times", "Updates", "Insider", "Watch", "Tech Group", "Solutions", "Online", "World")


def site_name(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.35:
        return f"The {rng.choice(_SITE_PLACES)} {rng.choice(_SITE_PAPERS)}"
    if roll < 0.7:
        return f"{rng.choice(_SITE_WORDS)} {rng.choice(_SITE_NOUNS)}"
    if roll < 0.85:
        return f"{rng.choice(_SITE_WORDS)}{rng.choice(_SITE_NOUNS).replace(' ', '')}"
    return f"{rng.choice(_SITE_WORDS)}{rng.choice(_SITE_WORDS).lower()}.com"


NAV_SECTIONS = ("Home", "News", "World", "Politics", "Business", "Tech", "Science", "Health", "Sport",
                "Culture", "Opinion", "Video", "Local", "Markets", "Travel", "Lifestyle", "About", "Contact")


def nav_items(rng: random.Random) -> list[str]:
    return rng.sample(NAV_SECTIONS, rng.randint(4, 9))


# --- chrome lines inside the content area ---------------------------------------------

_SHARE = ("Share", "Share this", "Share this article", "Share this story", "Share on Facebook",
          "Share on X", "Tweet", "Share via Email", "Copy link", "Email", "Print", "WhatsApp", "Pin it")
_READ_MORE = ("Read More", "Read more", "Read more »", "Read More »", "Continue reading", "Continue Reading →",
              "Read the full story", "Full story", "More »", "Keep reading", "Read full article")
_ADS = ("Advertisement", "ADVERTISEMENT", "Sponsored", "Sponsored content", "Ad", "Scroll to continue",
        "Story continues below advertisement", "Advertisement - scroll to continue")
_NEWSLETTER = ("Sign up for our newsletter", "Subscribe to our daily briefing", "Get the morning headlines in your inbox",
               "Join {n},000 readers who get our newsletter", "Subscribe now", "Enter your email address",
               "Never miss a story: subscribe", "Sign up")
_COMMENTS = ("Leave a comment", "Leave a Reply", "Cancel reply", "{n} Comments", "Comments ({n})",
             "Be the first to comment", "Join the discussion", "Show comments", "Log in to comment",
             "Your email address will not be published.", "Post a comment", "What do you think? Tell us below.")
_NAVIGATION = ("Previous article", "Next article", "« Previous post", "Next post »", "Back to top",
               "Skip to content", "Related posts", "You may also like", "More from {site}", "Trending now",
               "Most read", "Popular stories", "Recommended for you", "Latest news")
_SOCIAL = ("Follow us on social media", "Follow {site} on Facebook", "Like us on Facebook",
           "Chat Icon", "Listen to this article", "Audio version", "Photo: {site}", "Image credit: {site}")


def chrome_line(rng: random.Random, site: str) -> str:
    family = rng.choice((_SHARE, _READ_MORE, _ADS, _NEWSLETTER, _COMMENTS, _NAVIGATION, _SOCIAL))
    return rng.choice(family).format(n=rng.randint(1, 48), site=site)


def read_more_line(rng: random.Random) -> str:
    return rng.choice(_READ_MORE)


_FIRST = ("Anna", "Ben", "Carla", "David", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi",
          "Liam", "Maya", "Nikhil", "Olga", "Pablo", "Rosa", "Sami", "Tara", "Victor")
_LAST = ("Adler", "Brennan", "Costa", "Duarte", "Eriksen", "Fontaine", "Garcia", "Holm", "Ivanova", "Jansen",
         "Kowalski", "Lindqvist", "Moreau", "Novak", "Okoro", "Petrov", "Quinn", "Rossi", "Sato", "Weber")
_DESKS = ("admin", "News Desk", "Staff Reporter", "Editorial Team", "Web Desk", "Newsroom", "Staff Writer",
          "Guest Contributor", "Digital Team", "editor")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def date_text(rng: random.Random) -> str:
    day, month, year = rng.randint(1, 28), rng.choice(_MONTHS), rng.randint(2015, 2026)
    return rng.choice((f"{day} {month} {year}", f"{month} {day}, {year}", f"{year}-{_MONTHS.index(month) + 1:02d}-{day:02d}",
                       f"{month[:3]} {day}, {year}"))


def byline(rng: random.Random) -> str:
    who = person(rng) if rng.random() < 0.6 else rng.choice(_DESKS)
    when = date_text(rng)
    return rng.choice((
        f"By {who}", f"By {who} | {when}", f"Posted by {who} on {when}", f"{when} · {rng.randint(2, 12)} min read",
        f"Published {when}", f"Updated: {when}", f"Written by {who}", f"{who} · {when}", f"Last updated {when}",
        f"{when} by {who}", f"Reporting by {who}; editing by {person(rng)}",
    ))


# --- tags -------------------------------------------------------------------------------

TAG_HEADERS = ("Tags:", "Tags", "Tagged:", "Tagged with:", "Topics:", "Topics", "Filed under:", "Keywords:",
               "Related topics:", "Related Tags", "Categories:", "TAGS", "Tag cloud")
TAG_SEPARATORS = (", ", " | ", " · ", " / ", "; ")

# --- separators between posts on text archives ----------------------------------------

POST_SEPARATORS = ("Continue reading", "Read More", "Read more »", "…", "...", "Continue reading →",
                   "[Read the rest]", "Read full story")


def source_line(rng: random.Random, site: str) -> str:
    return rng.choice((f"Source: {site}", f"Source: {site} News", f"Via {site}", f"Originally published at {site}",
                       "Source link", f"Credit: {site}"))


# --- stock closers (filler): a small share of appendices carry one --------------------------

_CLOSER_OPEN = ("Stay tuned", "Keep an eye on this page", "Check back later", "Follow along",
                "Watch this space", "We'll keep you informed", "Bookmark this page")
_CLOSER_END = ("for the latest updates.", "as the story develops.", "for more on this story.",
               "as more details emerge.", "as we learn more.", "for further developments.")


def stock_closer(rng: random.Random) -> str:
    return f"{rng.choice(_CLOSER_OPEN)} {rng.choice(_CLOSER_END)}"
