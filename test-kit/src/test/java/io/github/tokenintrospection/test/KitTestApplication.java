package io.github.tokenintrospection.test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The application the slice tests of this module find: {@link OrdersController} and the
 * properties in application.properties. Not component-scanned: its package is the kit's,
 * and scanning would register the kit's auto-configuration as an ordinary configuration
 * in every test, which no application outside this package sees.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(OrdersController.class)
class KitTestApplication {

}
