from kith.children import urls_cin, urls_cla

app_name = "children"

urlpatterns = [*urls_cin.urlpatterns, *urls_cla.urlpatterns]
