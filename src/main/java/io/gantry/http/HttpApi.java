package io.gantry.http;
public final class HttpApi { public static void start(org.apache.pekko.actor.typed.ActorSystem<?> s) {} }
