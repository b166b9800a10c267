from ninja import NinjaAPI

api = NinjaAPI(title="Pasar Daring API", version="1", urls_namespace="api")
