package io.vigil.delivery;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

/** One route per further destination, from route template deliver-destination in routes/deliver-ehr.camel.yaml. */
@Component
class DestinationRoutes implements CamelContextConfiguration {

    private final Destinations destinations;

    DestinationRoutes(Destinations destinations) {
        this.destinations = destinations;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        // routes are added once the YAML routes, and with them the template, are loaded
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        for (Destinations.Destination destination : destinations.all()) {
            TemplatedRouteBuilder.builder(camelContext, "deliver-destination")
                    .routeId("deliver-" + destination.name())
                    .parameter("name", destination.name())
                    .add();
        }
    }
}
