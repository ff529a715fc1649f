package io.vigil.testfhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.test.config.TestR4Config;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * HAPI FHIR JPA server on H2 at http://127.0.0.1:PORT/fhir, the EHR stand-in of Vigil's integration tests.
 * Usage: FhirTestServer PORT. Prints "FHIR-SERVER-READY" once it serves requests.
 */
public final class FhirTestServer {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        AnnotationConfigApplicationContext spring = new AnnotationConfigApplicationContext(TestR4Config.class);
        FhirContext fhir = spring.getBean(FhirContext.class);
        // tests poll the same search until data arrives: never answer from the search-result cache
        spring.getBean(JpaStorageSettings.class).setReuseCachedSearchResultsForMillis(null);

        RestfulServer restful = new RestfulServer(fhir);
        restful.registerProviders(((ResourceProviderFactory) spring.getBean("myResourceProvidersR4")).createProviders());
        restful.registerProvider(spring.getBean(JpaSystemProvider.class));
        restful.setPagingProvider(spring.getBean(DatabaseBackedPagingProvider.class));

        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        jetty.addConnector(connector);
        ServletContextHandler handler = new ServletContextHandler();
        handler.setContextPath("/");
        handler.addServlet(new ServletHolder(restful), "/fhir/*");
        jetty.setHandler(handler);
        jetty.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                jetty.stop();
            } catch (Exception ignored) {
                // the JVM is going away
            }
            spring.close();
        }));
        System.out.println("FHIR-SERVER-READY http://127.0.0.1:" + port + "/fhir");
        jetty.join();
    }
}
