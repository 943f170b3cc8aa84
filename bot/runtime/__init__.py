"""Running the product's three processes: the engine (Rasa, Python 3.11), the action server and our app."""
