package io.predictionarchiver.cli;

/** Entry point of the executable jar: the first argument picks the command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(0);
    }
}
