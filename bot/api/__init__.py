"""The store's JSON API, used by the action server to record answers the moment they are given."""
