"""The web app people reach: sign-in, the web chat page and the store's JSON API, on one aiohttp server."""
