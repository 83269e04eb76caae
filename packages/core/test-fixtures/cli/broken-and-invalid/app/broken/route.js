// Fails to load: the tree is refused for this file before any segment config is read.
throw new Error('ROUTEWARE_TEST_SETTING is not set')
